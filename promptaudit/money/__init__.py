"""Money: prices, provider facts, economics, levers, volume and projections."""
