package info.magnolia.resourceloader;

/**
 * Stand-in for {@code info.magnolia.resourceloader.ResourceVisitor}: {@code void visitFile(Resource)} and
 * {@code boolean visitDirectory(Resource)} (true: descend), as implemented in neat-tweaks ResourcesTemplatingFunctions
 * ({@code origin.traverseWith(new ResourceVisitor() {...})}).
 */
public interface ResourceVisitor {
    void visitFile(Resource resource);

    boolean visitDirectory(Resource resource);
}
