package dialtone;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house's rules, checked on the compiled classes: the inner packages (the domain, storage, templates,
 * security, the leaf {@code core} and configuration) never reach out to a face or to the server; {@code core}
 * depends on nothing of ours; the domain does not know how e-mail is sent; no two packages need each other.
 */
@AnalyzeClasses(packages = "dialtone",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    private static final String[] INNER = {"dialtone.directory..", "dialtone.store..", "dialtone.templates..",
            "dialtone.security..", "dialtone.core..", "dialtone.config.."};
    private static final String[] OUTER = {"dialtone.server..", "dialtone.admin..", "dialtone.provisioning..",
            "dialtone.portal..", "dialtone.pbx..", "dialtone.cli..", "dialtone.mail.."};

    @ArchTest
    static final ArchRule innerPackagesNeverReachTheServerOrAFace = noClasses()
            .that().resideInAnyPackage(INNER)
            .should().dependOnClassesThat().resideInAnyPackage(OUTER)
            .because("directory, store, templates, security, core and config are used by the faces and the server, "
                    + "never the other way round");

    @ArchTest
    static final ArchRule coreDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage("dialtone.core..")
            .should().dependOnClassesThat(resideInAPackage("dialtone..").and(not(resideInAPackage("dialtone.core.."))))
            .because("core is the leaf every other package may use");

    @ArchTest
    static final ArchRule theDomainDoesNotKnowHowMailIsSent = noClasses()
            .that().resideInAPackage("dialtone.directory..")
            .should().dependOnClassesThat().resideInAPackage("dialtone.mail..")
            .because("the domain queues a welcome e-mail; mail delivers it");

    @ArchTest
    static final ArchRule facesUseOnlyThePhoneSidesFacade = noClasses()
            .that().resideInAnyPackage("dialtone.admin..", "dialtone.portal..", "dialtone.pbx..", "dialtone.mail..",
                    "dialtone.cli..")
            .should().dependOnClassesThat(resideInAPackage("dialtone.provisioning..")
                    .and(not(JavaClass.Predicates.simpleNameStartingWith("PhoneSide")))
                    .and(not(JavaClass.Predicates.simpleNameStartingWith("ResyncService$")))
                    .and(not(JavaClass.Predicates.simpleNameStartingWith("PhoneUploads$"))))
            .because("the phone side offers one facade: PhoneSide and the records it answers with");

    @ArchTest
    static final ArchRule adminImportsNoOtherFace = face("dialtone.admin..");
    @ArchTest
    static final ArchRule portalImportsNoOtherFace = face("dialtone.portal..");
    @ArchTest
    static final ArchRule pbxImportsNoOtherFace = face("dialtone.pbx..");
    @ArchTest
    static final ArchRule provisioningImportsNoOtherFace = face("dialtone.provisioning..");

    /** A face meets the others through the domain's events, never by importing them. */
    private static ArchRule face(String face) {
        String[] others = java.util.stream.Stream.of("dialtone.admin..", "dialtone.portal..", "dialtone.pbx..",
                "dialtone.cli..", "dialtone.mail..").filter(other -> !other.equals(face)).toArray(String[]::new);
        return noClasses().that().resideInAPackage(face).should().dependOnClassesThat().resideInAnyPackage(others)
                .allowEmptyShould(true).because("faces meet through the domain's events");
    }

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("dialtone.(*)..")
            .should().beFreeOfCycles()
            .because("a package that needs another must not be needed by it");
}
