package wales.exchange.intake;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jcr.RepositoryException;
import javax.jcr.Session;
import wales.exchange.i18n.Lang;
import wales.exchange.model.Fields;

/**
 * Demo mode only: a few pending contributions and comments from the audiences of the seed texts (foster carers,
 * teachers, researchers, care-experienced young people), in English and Welsh, so that a newcomer finds a queue to
 * moderate at once. Installed when there is no contribution yet; the addresses are example.org ones.
 */
public final class IntakeDemo {
    private final IntakeStore store;

    @Inject
    public IntakeDemo(IntakeStore store) {
        this.store = store;
    }

    private record Demo(String type, Lang lang, Map<String, Object> content, Map<String, Object> personal) {
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final List<Demo> DEMO = List.of(
            new Demo(IntakeTypes.CONTRIBUTION, Lang.EN, map("category", "best-practice-example",
                    Fields.TITLE, "Keeping school routines going in a first foster placement",
                    Fields.DESCRIPTION, "<p>As foster carers we agreed a morning routine with the designated teacher in the first week."
                            + " Attendance stayed above 95% through the move. A one-page note on what we did.</p>",
                    "contributorRole", "foster-carer", IntakeTypes.PREFERRED_LANGUAGE, "en", "consentToPublish", true),
                    map(IntakeTypes.CONTRIBUTOR_NAME, "Alex Morgan", IntakeTypes.CONTRIBUTOR_EMAIL, "alex.morgan@example.org")),
            new Demo(IntakeTypes.CONTRIBUTION, Lang.CY, map("category", "training-material",
                    Fields.TITLE, "Cynllun gweithredu i athrawon dynodedig: plant sy’n derbyn gofal",
                    Fields.DESCRIPTION, "<p>Cynllun gweithredu a ddefnyddiwyd gan athrawon mewn tair ysgol uwchradd yng Ngwynedd i gefnogi"
                            + " dysgwyr sydd â phrofiad o ofal wrth symud rhwng ysgolion.</p>",
                    "contributorRole", "teacher", IntakeTypes.PREFERRED_LANGUAGE, "cy", "consentToPublish", true),
                    map(IntakeTypes.CONTRIBUTOR_NAME, "Siân Pritchard", IntakeTypes.CONTRIBUTOR_EMAIL, "sian.pritchard@example.org")),
            new Demo(IntakeTypes.CONTRIBUTION, Lang.EN, map("category", "academic-literature",
                    Fields.TITLE, "Educational pathways of children with out-of-home care experience: a 50-year follow-up",
                    Fields.DESCRIPTION, "<p>Open-access article on the educational careers of around 12,000 children born in Stockholm,"
                            + " nearly 8% of whom were placed in out-of-home care before their 13th birthday.</p>",
                    "links", List.of("https://example.org/articles/ohc-educational-pathways"),
                    "contributorRole", "researcher", IntakeTypes.PREFERRED_LANGUAGE, "en", "consentToPublish", true),
                    map(IntakeTypes.CONTRIBUTOR_NAME, "Dr Jamie Evans", IntakeTypes.CONTRIBUTOR_EMAIL, "j.evans@example.org",
                            "organisation", "Example University")),
            new Demo(IntakeTypes.CONTRIBUTION, Lang.CY, map("category", "other",
                    Fields.TITLE, "Beth fyddai wedi fy helpu wrth adael gofal",
                    Fields.DESCRIPTION, "<p>Rhestr fer gan bobl ifanc sydd â phrofiad o ofal: beth fyddai wedi helpu gyda thai, arian ac"
                            + " addysg bellach wrth adael gofal.</p>",
                    "contributorRole", "care-experienced-young-person", IntakeTypes.PREFERRED_LANGUAGE, "cy", "consentToPublish", false),
                    map(IntakeTypes.CONTRIBUTOR_NAME, "Cai", IntakeTypes.CONTRIBUTOR_EMAIL, "cai@example.org")),
            new Demo(IntakeTypes.COMMENT, Lang.EN, map(IntakeTypes.TARGET, "events", IntakeTypes.DISPLAY_NAME, "Foster carer, Cardiff",
                    Fields.BODY, "<p>Will the webinar on secure accommodation be recorded? Evening sessions would help carers like me.</p>",
                    IntakeTypes.LANGUAGE, "en"), map(IntakeTypes.EMAIL, "carer.cardiff@example.org")),
            new Demo(IntakeTypes.COMMENT, Lang.CY, map(IntakeTypes.TARGET, "resources", IntakeTypes.DISPLAY_NAME, "Athro, Bangor",
                    Fields.BODY, "<p>Diolch am yr adnoddau. A fydd fersiwn Gymraeg o’r cynllun gweithredu ar gael i ysgolion cynradd?</p>",
                    IntakeTypes.LANGUAGE, "cy"), map(IntakeTypes.EMAIL, "athro.bangor@example.org")),
            new Demo(IntakeTypes.COMMENT, Lang.EN, map(IntakeTypes.TARGET, IntakeService.HOME, IntakeTypes.DISPLAY_NAME, "Jo (care leaver)",
                    Fields.BODY, "<p>It would be good to hear more from young people ourselves. Call me on 07700 900123 if you want help.</p>",
                    IntakeTypes.LANGUAGE, "en"), map(IntakeTypes.EMAIL, "jo@example.org")));

    /** Installs the demo submissions when there is no contribution yet; returns how many. */
    public int installIfEmpty(Session session) throws RepositoryException {
        String root = store.model().get(IntakeTypes.CONTRIBUTION).rootPath();
        if (session.nodeExists(root) && session.getNode(root).hasNodes()) {
            return 0;
        }
        int n = 0;
        for (Demo d : DEMO) {
            String held = d.type().equals(IntakeTypes.COMMENT) && wales.exchange.comments.PersonalData.find(
                    String.valueOf(d.content().get(Fields.BODY))).isPresent() ? wales.exchange.comments.PersonalData.REASON : null;
            Map<String, Object> content = new LinkedHashMap<>(d.content());
            if (content.get(Fields.DESCRIPTION) instanceof String s) {
                content.put(Fields.DESCRIPTION, HtmlCleaner.formatted(s));
            }
            store.submit(session, new IntakeStore.NewSubmission(d.type(), content, d.personal(), "192.0.2.1", d.lang(),
                    IntakeService.digest(d.type(), "demo", n, d.content()), null, held), s -> null, (s, sub) -> { });
            n++;
        }
        return n;
    }
}
