// The trace benchmark generator (work in progress).
print("tracegen: not yet built")
