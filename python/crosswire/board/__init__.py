"""The message board over multicast (docs/protocols/board.md): server, publisher, subscriber."""
