package dialtone.templates;

import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.apache.velocity.util.introspection.VelMethod;

/**
 * Velocity's sandbox plus one more rule: no {@code getClass()}. The secure uberspector already
 * refuses every method of {@code Class}, but would still print the class's name; a template has no
 * business knowing which Java types sit behind its data.
 */
public final class StrictUberspector extends SecureUberspector {

    @Override
    public VelMethod getMethod(Object obj, String methodName, Object[] args, Info i) {
        if ("getClass".equals(methodName)) {
            return null;
        }
        return super.getMethod(obj, methodName, args, i);
    }
}
