"""The helper library: plain functions every app may use. It imports no renkei app."""
