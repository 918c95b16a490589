package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds a manifest to the Kubernetes API type of its {@code apiVersion} and {@code kind} (fabric8's model, generated from
 * Kubernetes' OpenAPI) and reports every field the type does not have (fabric8 keeps unknown fields aside, in
 * {@code additionalProperties}, instead of failing) and every value of the wrong type (no coercion of scalars). It does
 * not check what only the API server checks: required fields, formats, cross-field rules. Stateless and thread-safe.
 */
final class KubernetesSchema
{
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private KubernetesSchema() {}

    /** The typed object; throws {@link IllegalArgumentException} naming the unknown kind, the bad value or the unknown fields. */
    static HasMetadata bind(Map<String, Object> manifest)
    {
        String key = manifest.get("apiVersion") + "/" + manifest.get("kind");
        Class<? extends HasMetadata> type = TYPES.get(key);
        if (type == null) {
            throw new IllegalArgumentException("no API type known for " + key + " (known: " + TYPES.keySet() + ")");
        }
        HasMetadata bound;
        try {
            bound = STRICT.convertValue(manifest, type);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(bound, key, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(key + " " + bound.getMetadata().getName() + " has fields its API type does not: " + unknown);
        }
        return bound;
    }

    private static void collectUnknownFields(Object value, String path, List<String> unknown)
    {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object element : collection) {
                collectUnknownFields(element, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> collectUnknownFields(element, path + "." + key, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(name -> unknown.add(path + "." + name));
                }
                continue;
            }
            collectUnknownFields(field, path + "." + decapitalize(getter.getName().substring(3)), unknown);
        }
    }

    private static Object invoke(Method getter, Object target)
    {
        try {
            return getter.invoke(target);
        }
        catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter + ": " + e, e);
        }
    }

    private static String decapitalize(String name)
    {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
