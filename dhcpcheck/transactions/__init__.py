"""Putting messages back together: transactions, then clients and servers."""
