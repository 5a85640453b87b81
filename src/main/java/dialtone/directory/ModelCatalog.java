package dialtone.directory;

import java.util.Optional;

/** Which phone family a model id (e.g. {@code yealink-t46s}) belongs to. */
@FunctionalInterface
public interface ModelCatalog {
    Optional<String> familyOf(String modelId);
}
