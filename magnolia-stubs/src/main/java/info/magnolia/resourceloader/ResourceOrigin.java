package info.magnolia.resourceloader;

/**
 * Stand-in for {@code info.magnolia.resourceloader.ResourceOrigin} (a subset, signatures as used by public code):
 * {@code getByPath(String)} returning the resource (IBM/magkit, commit cfd23fc,
 * magkit-tools-t9n AddTranslationEntryTask: {@code Components.getComponent(ResourceOrigin.class).getByPath("/" + ... + ".properties")});
 * {@code traverseWith(ResourceVisitor)} (neat-tweaks ResourcesTemplatingFunctions, which injects
 * {@code ResourceOrigin<LayeredResource>}); injected raw by Magnolia's own config app
 * ({@code info.magnolia.configuration.app.problem.ProblemSubApp}) and by magnolia-config-source-graphql
 * ({@code ResourceOrigin<?>}). The layered origin Magnolia binds resolves a path to the file-system light module
 * before the class path (docs: light modules override jar resources). Signature only: not implemented.
 */
public interface ResourceOrigin<R extends Resource> {
    R getByPath(String path);

    void traverseWith(ResourceVisitor visitor);
}
