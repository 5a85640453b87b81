package dialtone.testing;

import dialtone.config.DialtoneConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Reads what the server stored, straight from its database, for checks the API rightly never shows. */
public final class StoredUser {

    private StoredUser() {}

    public static String portalPasswordHash(DialtoneConfig config, String username) throws Exception {
        return single(config, "select portal_password_hash from app_user where username = ?", username);
    }

    public static int count(DialtoneConfig config, String sql, String parameter) throws Exception {
        return Integer.parseInt(single(config, sql, parameter));
    }

    public static String single(DialtoneConfig config, String sql, String parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(dialtone.store.Database.jdbcUrl(config.database().url()), config.database().user(),
                config.database().password()); PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
