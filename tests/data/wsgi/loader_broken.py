"""A module whose import fails (tests/net/wsgi/app_loader_test.cpp)."""
1 / 0
