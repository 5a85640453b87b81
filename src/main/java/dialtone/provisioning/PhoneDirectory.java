package dialtone.provisioning;

import dialtone.directory.AccountSip;

import dialtone.directory.Device;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.GREETING;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.store.Database;
import java.util.Optional;
import org.jooq.impl.DSL;

/** The phone side's read of the directory: everything a device's files need, in one query. */
final class PhoneDirectory {

    private final Database db;

    PhoneDirectory(Database db) {
        this.db = db;
    }

    Optional<PhoneRecord> findActive(String mac) {
        var r = db.dsl()
                .select(DEVICE.MAC, DEVICE.ACCOUNT_ID, DEVICE.FAMILY, DEVICE.MODEL, DEVICE.LABEL, DEVICE.PROV_USERNAME,
                        DEVICE.PROV_PASSWORD_ENC, DEVICE.PROV_PASSWORD_NEXT_ENC, APP_USER.ID, APP_USER.LOCATION_ID, APP_USER.FIRST_NAME, APP_USER.LAST_NAME,
                        APP_USER.USERNAME, APP_USER.EMAIL, APP_USER.EMAIL_VOICEMAILS, APP_USER.PHONE_NUMBER,
                        APP_USER.EXTENSION, APP_USER.UNREACHABLE_FORWARD,
                        DSL.coalesce(APP_USER.TIME_ZONE, LOCATION.TIME_ZONE).as("zone"),
                        APP_USER.AUTHORIZED_USER, APP_USER.SIP_USERNAME, APP_USER.SIP_PASSWORD_ENC,
                        GREETING.USER_ID, ACCOUNT.VARS, DEVICE.VARS, APP_USER.ENABLED, APP_USER.NO_ANSWER_FORWARD,
                        APP_USER.NO_ANSWER_SECONDS, ACCOUNT.ENABLED,
                        ACCOUNT.SIP_DOMAIN, ACCOUNT.SIP_REGISTRAR, ACCOUNT.SIP_PORT, ACCOUNT.SIP_TRANSPORT,
                        ACCOUNT.SIP_REALM)
                .from(DEVICE)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(DEVICE.ACCOUNT_ID))
                .leftJoin(APP_USER).on(APP_USER.ID.eq(DEVICE.USER_ID))
                .leftJoin(LOCATION).on(LOCATION.ID.eq(APP_USER.LOCATION_ID))
                .leftJoin(GREETING).on(GREETING.USER_ID.eq(APP_USER.ID))
                .where(DEVICE.MAC.eq(mac)).and(DEVICE.STATUS.eq(Device.ACTIVE))
                .fetchOne();
        if (r == null) {
            return Optional.empty();
        }
        PhoneRecord.BoundUser user = r.get(APP_USER.ID) == null ? null : new PhoneRecord.BoundUser(
                r.get(APP_USER.ID), r.get(APP_USER.LOCATION_ID), r.get(APP_USER.FIRST_NAME), r.get(APP_USER.LAST_NAME),
                r.get(APP_USER.USERNAME), r.get(APP_USER.EMAIL),
                r.get(APP_USER.EMAIL_VOICEMAILS), r.get(APP_USER.PHONE_NUMBER), r.get(APP_USER.EXTENSION),
                r.get(APP_USER.UNREACHABLE_FORWARD), r.get("zone", String.class), r.get(APP_USER.AUTHORIZED_USER),
                r.get(APP_USER.SIP_USERNAME), r.get(APP_USER.SIP_PASSWORD_ENC), r.get(GREETING.USER_ID) != null,
                r.get(APP_USER.ENABLED), r.get(APP_USER.NO_ANSWER_FORWARD), r.get(APP_USER.NO_ANSWER_SECONDS));
        return Optional.of(new PhoneRecord(r.get(DEVICE.MAC), r.get(DEVICE.ACCOUNT_ID), r.get(DEVICE.FAMILY),
                r.get(DEVICE.MODEL), r.get(DEVICE.LABEL), r.get(DEVICE.PROV_USERNAME), r.get(DEVICE.PROV_PASSWORD_ENC),
                r.get(DEVICE.PROV_PASSWORD_NEXT_ENC), user, r.get(ACCOUNT.VARS), r.get(DEVICE.VARS),
                new AccountSip(r.get(ACCOUNT.SIP_DOMAIN), r.get(ACCOUNT.SIP_REGISTRAR), r.get(ACCOUNT.SIP_PORT),
                        r.get(ACCOUNT.SIP_TRANSPORT), r.get(ACCOUNT.SIP_REALM)), r.get(ACCOUNT.ENABLED)));
    }
}
