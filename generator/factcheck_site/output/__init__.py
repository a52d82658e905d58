"""What a build writes besides pages: feeds, exports, the search index, and the folders it writes into."""
