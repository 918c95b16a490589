package io.kaflowsql.pipelines.personalization;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The words the generator builds realistic records from: categories with their subcategories,
 * price ranges, brands and tags, plus user demographics and traffic sources. Immutable and
 * thread-safe. List order is part of the generator's determinism: append, never reorder.
 */
final class CatalogVocabulary
{
    /**
     * One product kind.
     *
     * @param sizes optional size suffixes for the name, e.g. {@code 15"} for laptops (may be empty)
     */
    record Subcategory(String name, List<String> nouns, double minPrice, double maxPrice, List<String> sizes)
    {
        Subcategory
        {
            requireNonNull(name, "name is null");
            nouns = List.copyOf(nouns);
            sizes = List.copyOf(sizes);
        }
    }

    record Category(String name, List<Subcategory> subcategories, List<String> brands, List<String> tags)
    {
        Category
        {
            requireNonNull(name, "name is null");
            subcategories = List.copyOf(subcategories);
            brands = List.copyOf(brands);
            tags = List.copyOf(tags);
        }
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("electronics", List.of(
                    new Subcategory("laptops", List.of("Laptop", "Ultrabook", "Notebook"), 499, 2499, List.of("13\"", "14\"", "15\"", "16\"")),
                    new Subcategory("smartphones", List.of("Phone", "Smartphone"), 199, 1299, List.of("6.1\"", "6.7\"")),
                    new Subcategory("headphones", List.of("Headphones", "Earbuds"), 29, 449, List.of()),
                    new Subcategory("monitors", List.of("Monitor", "Display"), 149, 1199, List.of("24\"", "27\"", "32\""))),
                    List.of("TechCorp", "Voltix", "Nimbus", "ArcLight"),
                    List.of("tech", "work", "gaming", "wireless")),
            new Category("books", List.of(
                    new Subcategory("fiction", List.of("Novel", "Thriller", "Saga"), 6, 29, List.of()),
                    new Subcategory("non-fiction", List.of("Biography", "History", "Guide"), 9, 45, List.of()),
                    new Subcategory("childrens", List.of("Picture Book", "Story Collection"), 5, 25, List.of())),
                    List.of("PageTurner", "Inkwell Press", "Northway Books"),
                    List.of("reading", "bestseller", "paperback", "hardcover")),
            new Category("home", List.of(
                    new Subcategory("kitchen", List.of("Blender", "Coffee Maker", "Knife Set"), 19, 399, List.of()),
                    new Subcategory("furniture", List.of("Desk", "Armchair", "Bookshelf"), 79, 1499, List.of()),
                    new Subcategory("decor", List.of("Lamp", "Rug", "Wall Clock"), 12, 249, List.of())),
                    List.of("HomeStyle", "Nordhaus", "Casa Bella"),
                    List.of("home", "cozy", "modern", "eco")),
            new Category("fashion", List.of(
                    new Subcategory("shoes", List.of("Sneakers", "Boots", "Loafers"), 39, 299, List.of()),
                    new Subcategory("outerwear", List.of("Jacket", "Parka", "Raincoat"), 49, 449, List.of()),
                    new Subcategory("accessories", List.of("Backpack", "Watch", "Sunglasses"), 15, 349, List.of())),
                    List.of("UrbanThread", "Maison Vera", "TrailMark"),
                    List.of("style", "casual", "trending", "seasonal")),
            new Category("sports", List.of(
                    new Subcategory("fitness", List.of("Yoga Mat", "Dumbbell Set", "Kettlebell"), 15, 299, List.of()),
                    new Subcategory("cycling", List.of("Helmet", "Bike Light", "Road Bike"), 19, 1899, List.of()),
                    new Subcategory("outdoor", List.of("Tent", "Hiking Pack", "Sleeping Bag"), 29, 599, List.of())),
                    List.of("PeakForm", "TrailMark", "Velocita"),
                    List.of("fitness", "outdoor", "training", "durable")),
            new Category("beauty", List.of(
                    new Subcategory("skincare", List.of("Serum", "Moisturizer", "Cleanser"), 8, 89, List.of()),
                    new Subcategory("fragrance", List.of("Eau de Parfum", "Cologne"), 25, 159, List.of()),
                    new Subcategory("haircare", List.of("Shampoo", "Hair Dryer"), 6, 249, List.of())),
                    List.of("Lumiere", "PureLeaf", "Velvet & Co"),
                    List.of("beauty", "natural", "vegan", "gift")),
            new Category("toys", List.of(
                    new Subcategory("building", List.of("Brick Set", "Marble Run"), 14, 199, List.of()),
                    new Subcategory("games", List.of("Board Game", "Card Game", "Puzzle"), 9, 79, List.of()),
                    new Subcategory("plush", List.of("Teddy Bear", "Plush Dragon"), 9, 49, List.of())),
                    List.of("Playtopia", "BrightBlocks", "Wonderkin"),
                    List.of("kids", "family", "educational", "gift")),
            new Category("grocery", List.of(
                    new Subcategory("coffee", List.of("Whole Bean Coffee", "Espresso Pods"), 6, 39, List.of()),
                    new Subcategory("snacks", List.of("Trail Mix", "Protein Bars", "Dark Chocolate"), 2, 24, List.of()),
                    new Subcategory("pantry", List.of("Olive Oil", "Pasta", "Honey"), 3, 29, List.of())),
                    List.of("FarmFresh", "Golden Grove", "PureLeaf"),
                    List.of("organic", "pantry", "healthy", "bulk")));

    static final List<String> CATEGORY_NAMES = CATEGORIES.stream().map(Category::name).toList();

    static final List<String> GENERAL_TAGS = List.of("new", "sale", "bestseller", "limited", "eco");
    static final List<String> NAME_ADJECTIVES = List.of("Pro", "Lite", "Max", "Classic", "Air", "Plus", "Essential", "Ultra");

    static final WeightedChoice SUBSCRIPTION_TIER = WeightedChoice.of("free", 55, "basic", 30, "premium", 15);
    static final WeightedChoice AGE_GROUP = WeightedChoice.of("18-24", 16, "25-34", 30, "35-44", 24, "45-54", 15, "55-64", 10, "65+", 5);
    static final WeightedChoice LOCATION = WeightedChoice.of(
            "US-CA", 16, "US-NY", 12, "US-TX", 9, "US-WA", 5, "US-FL", 6, "GB-LND", 9, "DE-BE", 6, "FR-IDF", 5,
            "BR-SP", 9, "CA-ON", 5, "JP-13", 6, "IN-MH", 7, "AU-NSW", 5);
    static final List<String> FIRST_NAMES = List.of(
            "ana", "ben", "carla", "dev", "elena", "felix", "grace", "hiro", "ines", "jonas", "kemi", "liam",
            "maria", "noah", "olga", "priya", "quinn", "rafael", "sofia", "tom", "uma", "victor", "wen", "yusuf");
    static final List<String> LAST_NAMES = List.of(
            "silva", "smith", "mueller", "tanaka", "garcia", "johnson", "kowalski", "dubois", "okafor", "patel",
            "nguyen", "rossi", "kim", "larsen", "costa", "haddad");
    static final List<String> EMAIL_DOMAINS = List.of("example.com", "example.org", "example.net");

    static final WeightedChoice PURCHASE_FREQUENCY = WeightedChoice.of("weekly", 15, "monthly", 40, "quarterly", 30, "rarely", 15);

    /** Event types the seed's WHERE keeps ({@code page_view}, {@code add_to_cart}, {@code search}). */
    static final WeightedChoice KEPT_EVENT_TYPE = WeightedChoice.of("page_view", 70, "add_to_cart", 15, "search", 15);
    /** Event types the seed's WHERE filters out. */
    static final WeightedChoice FILTERED_EVENT_TYPE = WeightedChoice.of("click", 45, "scroll", 35, "purchase", 20);
    static final List<String> KEPT_EVENT_TYPES = KEPT_EVENT_TYPE.values();

    static final WeightedChoice REFERRER = WeightedChoice.of(
            "google", 35, "direct", 25, "facebook", 10, "instagram", 8, "email", 8, "bing", 5, "tiktok", 5, "affiliate", 4);
    static final WeightedChoice DEVICE = WeightedChoice.of("mobile", 55, "desktop", 35, "tablet", 10);

    private CatalogVocabulary() {}
}
