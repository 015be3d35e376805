"""Files in: sniffing, limits, hashing, rasterizing (tiếp nhận tệp quét)."""
