"""Document splitting and classification, the procedure catalogue, completeness."""
