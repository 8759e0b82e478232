"""Projects and their video assets (cuts), seen only by the tenant that owns them."""
