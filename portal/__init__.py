"""The client portal of the studio: projects, reviews and sign-in for studio staff, agency partners and guests."""
