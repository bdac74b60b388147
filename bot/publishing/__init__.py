"""What the network publishes and sends on: the public archive of confirmed minutes (``site``)."""
