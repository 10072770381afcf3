"""zhanggui's domain and persistence. Never imports textual, click, rich or tui."""
