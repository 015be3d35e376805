"""OCR engines behind a Protocol, word boxes and confidences, text-layer PDF pages."""
