"""The content model and its checks: editors' files read, validated and quoted against their sources."""
