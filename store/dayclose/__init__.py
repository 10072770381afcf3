"""The end of the day: the cash drawer and its shifts, X and Z reports, and the day lock."""
