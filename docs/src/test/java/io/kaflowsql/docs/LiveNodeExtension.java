package io.kaflowsql.docs;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link LiveNode}, started on first use and shared by every test class of the run (kept in the root
 * store, which closes it when the run ends).
 */
final class LiveNodeExtension
        implements ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LiveNodeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == LiveNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(LiveNode.class, key -> {
            try {
                return LiveNode.start();
            }
            catch (Exception e) {
                throw new IllegalStateException("cannot start the docs node", e);
            }
        }, LiveNode.class);
    }
}
