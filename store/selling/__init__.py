"""Ringing up, paying, returning and printing a sale."""
