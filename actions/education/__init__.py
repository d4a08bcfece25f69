"""Education: topic answers, the menu, and the pain course with its teach-back check."""
