"""The scamlens service: REST API (and web UI) over the core, with a case store."""
