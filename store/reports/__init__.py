"""One report writer: a table model (``table``) rendered as text, CSV and XLSX (``writers``).
Every report and export builds a Table and calls a writer, so a cell can never become a
spreadsheet formula and CSV opens in Excel on a Chinese Windows."""
