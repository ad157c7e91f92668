"""The fictional cast of the demo site: companies by industry, their brands with aliases, and disclosure quality.

Every name here is invented. ``quality`` picks a text from ``disclosures.demo.texts`` (None: no disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoCompany:
    name: str
    slug: str
    industry: str
    revenue_band: str
    quality: str | None
    brands: dict[str, list[str]] = field(default_factory=dict)  # brand name -> aliases
    parent: str = ""  # slug of the parent company
    sells_in_california: bool = True


DEMO_COMPANIES: tuple[DemoCompany, ...] = (
    # Apparel and footwear
    DemoCompany(
        "Northwind Apparel Inc.",
        "northwind-apparel",
        "apparel",
        "over_1b",
        "strong",
        {"Northwind": ["Northwind Outfitters"], "Trailhead Denim": ["Trailhead"], "Northwind Kids": []},
    ),
    DemoCompany(
        "Bluejay Threads LLC",
        "bluejay-threads",
        "apparel",
        "100m_1b",
        "good",
        {"Bluejay": ["Blue Jay"], "Jaybird Basics": [], "Featherlight": ["Feather Light"]},
    ),
    DemoCompany(
        "Meridian Footwear Group",
        "meridian-footwear",
        "apparel",
        "over_1b",
        "weak",
        {"Meridian": [], "Strider": ["Striders"], "Cloudstep": ["Cloud Step"]},
    ),
    DemoCompany(
        "Coastline Activewear Co.",
        "coastline-activewear",
        "apparel",
        "100m_1b",
        "negative",
        {"Coastline": [], "Tidepool": ["Tide Pool"], "Surfline Sport": []},
    ),
    DemoCompany(
        "Harbor & Pine Clothing Ltd.",
        "harbor-and-pine",
        "apparel",
        "100m_1b",
        None,
        {"Harbor & Pine": ["Harbor and Pine", "H&P"], "Pinecrest": [], "Saltwater Knits": []},
    ),
    # Food and beverages
    DemoCompany(
        "Atlas Consumer Holdings",
        "atlas-consumer-holdings",
        "food",
        "over_1b",
        "strong",
        {"Atlas Pantry": [], "Atlas Table": [], "Homestead Grains": ["Home Stead Grains"]},
    ),
    DemoCompany(
        "Golden Valley Foods Inc.",
        "golden-valley-foods",
        "food",
        "over_1b",
        "good",
        {"Golden Valley": ["GV Foods"], "Valley Harvest": [], "Sunrise Oats": ["Sun Rise Oats"]},
    ),
    DemoCompany(
        "Sunfield Snacks Corp.",
        "sunfield-snacks",
        "food",
        "100m_1b",
        None,
        {"Sunfield": [], "Crunchwell": ["Crunch Well"], "Poppity": []},
        parent="atlas-consumer-holdings",
    ),
    DemoCompany(
        "Redwood Coffee Roasters",
        "redwood-coffee",
        "food",
        "100m_1b",
        "weak",
        {"Redwood Coffee": ["Redwood Roasters"], "Fogline Espresso": [], "Sequoia Tea": []},
    ),
    DemoCompany(
        "Blue Lantern Seafood Co.",
        "blue-lantern-seafood",
        "food",
        "100m_1b",
        "contradictory",
        {"Blue Lantern": [], "Deep Current": [], "Harborline Tuna": []},
    ),
    DemoCompany(
        "Orchard Lane Beverages",
        "orchard-lane-beverages",
        "food",
        "100m_1b",
        "negative",
        {"Orchard Lane": [], "Fizzgig Soda": ["Fizzgig"], "Cider Hollow": []},
        parent="atlas-consumer-holdings",
    ),
    # Electronics
    DemoCompany(
        "Voltara Electronics Inc.",
        "voltara-electronics",
        "electronics",
        "over_1b",
        "strong",
        {"Voltara": [], "Voltara Home": [], "Sparkline": ["Spark Line"]},
    ),
    DemoCompany(
        "Pixelwave Devices LLC",
        "pixelwave-devices",
        "electronics",
        "over_1b",
        "good",
        {"Pixelwave": ["Pixel Wave"], "Glimmer Tab": [], "Wavebuds": []},
    ),
    DemoCompany(
        "Cobalt Circuitry Corp.",
        "cobalt-circuitry",
        "electronics",
        "100m_1b",
        "weak",
        {"Cobalt": [], "Circuitry Pro": [], "Bluecell Batteries": []},
    ),
    DemoCompany(
        "Lumen Home Tech",
        "lumen-home-tech",
        "electronics",
        "100m_1b",
        None,
        {"Lumen": ["Lumen Smart Home"], "Glowbox": [], "Nightjar Cameras": []},
    ),
    DemoCompany(
        "Arcline Audio GmbH",
        "arcline-audio",
        "electronics",
        "100m_1b",
        "negative",
        {"Arcline": [], "Resonata": [], "Basswood": ["Bass Wood"]},
    ),
    # Toys and games
    DemoCompany(
        "Tinker Trolley Toys Inc.",
        "tinker-trolley-toys",
        "toys",
        "over_1b",
        "good",
        {"Tinker Trolley": [], "Buildabout": ["Build About"], "Tiny Tinkers": []},
    ),
    DemoCompany(
        "Puzzlebox Play Co.",
        "puzzlebox-play",
        "toys",
        "100m_1b",
        "strong",
        {"Puzzlebox": ["Puzzle Box"], "Brainteasy": [], "Jigsaw Junction": []},
    ),
    DemoCompany(
        "Kitebird Games LLC",
        "kitebird-games",
        "toys",
        "100m_1b",
        "weak",
        {"Kitebird": ["Kite Bird"], "Dicewise": [], "Meeple Meadow": []},
    ),
    DemoCompany(
        "Marble Moon Toys",
        "marble-moon-toys",
        "toys",
        "100m_1b",
        "contradictory",
        {"Marble Moon": [], "Stargazer Kits": [], "Moonbeam Dolls": []},
    ),
    DemoCompany(
        "Little Lantern Learning",
        "little-lantern-learning",
        "toys",
        "100m_1b",
        None,
        {"Little Lantern": [], "ABC Lantern": [], "Wonderwagon": ["Wonder Wagon"]},
    ),
    # Home goods
    DemoCompany(
        "Hearthstone Home Goods Inc.",
        "hearthstone-home-goods",
        "home_goods",
        "over_1b",
        "good",
        {"Hearthstone": ["Hearth Stone"], "Emberlight": [], "Kindling & Co": ["Kindling and Co"]},
    ),
    DemoCompany(
        "Willowmere Linens",
        "willowmere-linens",
        "home_goods",
        "100m_1b",
        "strong",
        {"Willowmere": [], "Softweave": ["Soft Weave"], "Dreamloft": []},
    ),
    DemoCompany(
        "Copperleaf Kitchenware Co.",
        "copperleaf-kitchenware",
        "home_goods",
        "100m_1b",
        "negative",
        {"Copperleaf": ["Copper Leaf"], "Simmerwell": [], "Chef's Anvil": ["Chefs Anvil"]},
    ),
    DemoCompany(
        "Driftwood Furnishings LLC",
        "driftwood-furnishings",
        "home_goods",
        "100m_1b",
        "weak",
        {"Driftwood": [], "Saltmarsh": [], "Dune & Drift": ["Dune and Drift"]},
    ),
    DemoCompany(
        "Quiltwork Living",
        "quiltwork-living",
        "home_goods",
        "100m_1b",
        None,
        {"Quiltwork": [], "Patchmoor": [], "Cozyhaus": ["Cozy Haus"]},
    ),
    # A small maker that publishes voluntarily.
    DemoCompany(
        "Hillside Makers Collective",
        "hillside-makers",
        "home_goods",
        "under_100m",
        "good",
        {"Hillside Makers": ["Hillside"], "Fernhollow Pottery": [], "Brambleberry Soap": []},
        sells_in_california=True,
    ),
)
