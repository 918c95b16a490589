package io.kaflowsql.pipelines.personalization;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A {@code products} row, field for field as in the seed spec's "Data Schema". Immutable.
 *
 * @param price rounded to cents
 * @param rating one decimal in [1.0, 5.0]
 */
public record Product(
        String productId,
        String name,
        String category,
        String subcategory,
        String brand,
        double price,
        double rating,
        List<String> tags,
        boolean inStock)
{
    public Product
    {
        requireNonNull(productId, "productId is null");
        requireNonNull(name, "name is null");
        requireNonNull(category, "category is null");
        requireNonNull(subcategory, "subcategory is null");
        requireNonNull(brand, "brand is null");
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
    }

    public String toJson()
    {
        return new JsonObjectWriter()
                .field("product_id", productId)
                .field("name", name)
                .field("category", category)
                .field("subcategory", subcategory)
                .field("brand", brand)
                .field("price", price)
                .field("rating", rating)
                .field("tags", tags)
                .field("in_stock", inStock)
                .finish();
    }

    public GeneratedRecord toRecord(long timestampMillis)
    {
        return new GeneratedRecord(PersonalizationTopics.PRODUCTS, productId, toJson(), timestampMillis);
    }
}
