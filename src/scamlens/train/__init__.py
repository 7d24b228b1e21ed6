"""Training support: synthetic corpus generation (see `scamlens.train.synth`)."""
