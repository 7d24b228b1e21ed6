"""Text utilities: normalisation for detection, language guess."""

from scamlens.text.normalize import detect_language, display_safe, fold, fold_map, to_original_span

__all__ = ["detect_language", "display_safe", "fold", "fold_map", "to_original_span"]
