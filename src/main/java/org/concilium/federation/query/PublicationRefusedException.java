package org.concilium.federation.query;

import java.util.List;

/**
 * A publication one or more sites refused at the check (phase one): nothing of it was activated
 * anywhere. Each problem names its site; the text is what the site reported, scrubbed
 * ({@link PublicationCheckAnswer#scrub}).
 */
public class PublicationRefusedException extends RuntimeException {

    /** One site's reason. */
    public record SiteProblem(String site, String text) {
        @Override
        public String toString() {
            return site + ": " + text;
        }
    }

    private final List<SiteProblem> problems;

    public PublicationRefusedException(List<SiteProblem> problems) {
        super("the publication was refused; nothing of it was activated: " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<SiteProblem> problems() {
        return problems;
    }
}
