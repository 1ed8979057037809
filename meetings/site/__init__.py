"""The site's pages at its root that draw on both apps: the home page, the site map, and the
public pages of an organization and of a person (their records with what they did at
meetings). They live in meetings, the app that may read members."""
