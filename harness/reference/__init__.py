"""Scripted reference peers: strict, in-process, built on crosswire.protocol.

Every implementation also runs against these, so a red cell says which side
is wrong: a client that fails against the reference server is at fault
itself, whatever it does against another language's server.
"""
