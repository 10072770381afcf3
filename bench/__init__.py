"""Benchmarks of zhanggui on the large demo store; see bench/README.md."""
