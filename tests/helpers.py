"""Constants shared by tests."""

CONFIG = "lr: 0.01\nsteps: 20\nmodel:\n  hidden: 8\n"
