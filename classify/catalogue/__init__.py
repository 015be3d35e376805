"""The versioned procedure catalogue (danh mục thủ tục hành chính) and its schema."""
