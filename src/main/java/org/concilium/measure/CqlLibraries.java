package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import ca.uhn.fhir.context.FhirContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cqframework.cql.cql2elm.CqlCompilerException;
import org.cqframework.cql.cql2elm.CqlCompilerOptions;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.ModelManager;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.cqframework.cql.cql2elm.quick.FhirLibrarySourceProvider;
import org.hl7.elm.r1.VersionedIdentifier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Library;
import org.opencds.cqf.fhir.cql.CqlOptions;
import org.opencds.cqf.fhir.cql.cql2elm.content.BaseFhirLibrarySourceProvider;
import org.opencds.cqf.fhir.utility.adapter.IAdapterFactory;

/**
 * Compiles CQL Libraries once and keeps them. ELM shipped in a Library ({@code application/elm+json}
 * / {@code +xml}) is used when the translator accepts it, otherwise the CQL text is translated.
 * FHIRHelpers and the FHIR model info come from the translator's embedded copies when the site
 * does not hold them.
 *
 * <p>Cache key: the main Library's url, version and a digest of its content, so a Library edited
 * in place under the same version is recompiled. Included libraries are cached by name+version
 * (call {@link #clear()} after changing one in place).
 */
final class CqlLibraries {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final ModelManager modelManager;
    private final CqlCompilerOptions options = CqlOptions.defaultOptions().getCqlCompilerOptions();
    private final Map<VersionedIdentifier, CompiledLibrary> compiled = new ConcurrentHashMap<>();
    private final Map<String, CqlLogic> logicByLibrary = new ConcurrentHashMap<>();
    /** ELM libraries already given {@link ChoiceTiming} (identity: the compiled objects are shared). */
    private final Set<org.hl7.elm.r1.Library> choiceAware = Collections.newSetFromMap(new IdentityHashMap<>());

    CqlLibraries() {
        this(new ModelManager());
    }

    /** A cache of its own over the models another cache has loaded (loading the FHIR model info is costly). */
    CqlLibraries(ModelManager models) {
        this.modelManager = models;
    }

    ModelManager models() {
        return modelManager;
    }

    /** Every ELM library compiled here (main and included), e.g. to list the value sets they name. */
    synchronized List<org.hl7.elm.r1.Library> elm() {
        List<org.hl7.elm.r1.Library> out = new ArrayList<>();
        compiled.values().forEach(c -> out.add(c.getLibrary()));
        logicByLibrary.values().forEach(l -> out.add(l.elm()));
        return out;
    }

    /**
     * Takes over what {@code checked} compiled (a publication checked on a scratch cache, now activated), so
     * the first query after it finds its logic compiled. When the publication replaces an included library
     * this cache holds under the same name and version, everything here is dropped first: logic compiled
     * against the old text must not run with the new.
     * Libraries both caches compiled (FHIRHelpers) stay as they are here. {@code keep} false: only the
     * dropping (the bench's "no warm-up" variant).
     */
    synchronized void adopt(CqlLibraries checked, Set<VersionedIdentifier> published, boolean keep) {
        if (published.stream().anyMatch(id -> compiled.keySet().stream().anyMatch(c -> same(c, id)))) {
            clear();
        }
        if (!keep) {
            return;
        }
        checked.compiled.forEach(compiled::putIfAbsent);
        synchronized (checked) {
            choiceAware.addAll(checked.choiceAware);
        }
        checked.logicByLibrary.forEach((key, logic) -> logicByLibrary.putIfAbsent(key,
                new CqlLogic(this, logic.id(), logic.elm())));
    }

    void clear() {
        compiled.clear();
        logicByLibrary.clear();
        synchronized (this) {
            choiceAware.clear();
        }
    }

    /** The compiled logic of {@code main}; {@code location} names the Measure element that referenced it. */
    CqlLogic load(Library main, ClinicalData data, String location) {
        String key = cacheKey(main);
        CqlLogic cached = logicByLibrary.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = logicByLibrary.get(key);
            if (cached != null) {
                return cached;
            }
            VersionedIdentifier id = identifier(main);
            LibraryManager manager = newManager(data);
            List<CqlCompilerException> errors = new ArrayList<>();
            CompiledLibrary library;
            try {
                library = manager.resolveLibrary(id, errors);
            } catch (RuntimeException e) {
                throw broken(location, "Library " + id.getId() + " cannot be loaded: " + firstLine(e.getMessage()), e);
            }
            List<String> fatal = errors.stream()
                    .filter(e -> e.getSeverity() == CqlCompilerException.ErrorSeverity.Error)
                    .map(CqlLibraries::describe)
                    .toList();
            if (library == null || !fatal.isEmpty()) {
                throw broken(location, "Library " + id.getId() + " does not compile: " + String.join("; ", fatal));
            }
            applyChoiceTiming(library.getLibrary());
            CqlLogic logic = new CqlLogic(this, id, library.getLibrary());
            logicByLibrary.put(key, logic);
            return logic;
        }
    }

    /** The main library and every library compiled with it keep all alternatives of choice-typed timing. */
    private void applyChoiceTiming(org.hl7.elm.r1.Library main) {
        List<org.hl7.elm.r1.Library> all = new ArrayList<>();
        all.add(main);
        compiled.values().forEach(c -> all.add(c.getLibrary()));
        for (org.hl7.elm.r1.Library elm : all) {
            if (elm != null && choiceAware.add(elm)) {
                ChoiceTiming.apply(elm);
            }
        }
    }

    /** A library manager that answers from the shared compiled cache (evaluation threads only read it). */
    LibraryManager newManager(ClinicalData data) {
        LibraryManager manager = new LibraryManager(modelManager, options, compiled);
        var loader = manager.getLibrarySourceLoader();
        loader.clearProviders();
        if (data != null) {
            loader.registerProvider(new SiteLibrarySource(data));
        }
        loader.registerProvider(new FhirLibrarySourceProvider());
        return manager;
    }

    static VersionedIdentifier identifier(Library library) {
        String name = library.getName();
        if (name == null || name.isBlank()) {
            String url = library.getUrl();
            name = url == null ? library.getIdElement().getIdPart() : url.substring(url.lastIndexOf('/') + 1);
        }
        return new VersionedIdentifier().withId(name).withVersion(library.getVersion());
    }

    private static String cacheKey(Library library) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (var content : library.getContent()) {
                digest.update(String.valueOf(content.getContentType()).getBytes());
                if (content.hasData()) {
                    digest.update(content.getData());
                }
            }
            return library.getUrl() + "|" + library.getVersion() + "|" + library.getIdElement().getIdPart() + "|"
                    + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean same(VersionedIdentifier a, VersionedIdentifier b) {
        return java.util.Objects.equals(a.getId(), b.getId()) && java.util.Objects.equals(a.getVersion(), b.getVersion());
    }

    /** A compiler error with where it is: {@code Library line L:C: message}. */
    private static String describe(CqlCompilerException e) {
        var at = e.getLocator();
        if (at == null) {
            return firstLine(e.getMessage());
        }
        String library = at.getLibrary() == null ? "" : at.getLibrary().getId() + " ";
        return library + "line " + at.getStartLine() + ":" + at.getStartChar() + ": " + firstLine(e.getMessage());
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Library source over the site's own Library resources, found by CQL name and version. */
    private static final class SiteLibrarySource extends BaseFhirLibrarySourceProvider {
        private final ClinicalData data;

        SiteLibrarySource(ClinicalData data) {
            super(IAdapterFactory.forFhirContext(FHIR));
            this.data = data;
        }

        @Override
        protected IBaseResource getLibrary(VersionedIdentifier id) {
            return data.libraryByName(id.getId(), id.getVersion()).orElse(null);
        }
    }
}
