"""zhanggui's test suite. A regular package (this file), so that `import tests` is always this
folder: a dependency that puts a `tests` folder into site-packages (python-barcode 0.16.1 did)
can only add a namespace portion, which a regular package anywhere on sys.path beats
(tests/unit/test_packaging.py)."""
