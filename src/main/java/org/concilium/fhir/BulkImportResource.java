package org.concilium.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.concilium.bulk.BulkJob;
import org.concilium.bulk.ImportJob;
import org.concilium.security.Caller;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code $import}: NDJSON uploaded as the body ({@code Content-Type: application/fhir+ndjson}) or
 * named in a Parameters body ({@code input.url} = {@code file:} URLs of files or folders inside
 * {@code concilium.bulk.import-dirs}; anything else is a 403). Asynchronous like {@code $export}:
 * 202 with Content-Location, the status URL answers 202 with X-Progress, then 200 with a manifest
 * of the resources written per type and an NDJSON file of OperationOutcomes, one per failed line.
 */
@Path("/fhir")
public class BulkImportResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ImportRunner runner;
    @Inject
    RequestCaller caller;
    @ConfigProperty(name = "concilium.bulk.import-dirs")
    Optional<List<String>> importDirs;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @POST
    @Path("$import")
    @Consumes({"application/fhir+ndjson", "application/ndjson", "application/x-ndjson"})
    @Blocking
    public Response upload(InputStream body) throws IOException {
        Caller who = caller.get();
        requireAsync();
        ImportJob job = runner.create(who, uri.getRequestUri().toString());
        java.nio.file.Path input = job.dir.resolve("upload.ndjson");
        try {
            Files.copy(body, input, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            runner.abandon(job, e);
            throw e;
        }
        runner.run(job, List.of(input), who);
        return accepted(job);
    }

    @POST
    @Path("$import")
    @Consumes({"application/fhir+json", "application/json"})
    @Blocking
    public Response fromFolder(String body) throws IOException {
        Caller who = caller.get();
        requireAsync();
        if (!(FhirFormat.parseBody(body, "application/fhir+json") instanceof Parameters parameters)) {
            throw FhirException.badRequest("$import expects NDJSON or a Parameters resource naming input urls");
        }
        List<java.nio.file.Path> inputs = new ArrayList<>();
        for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
            if (!p.getName().equals("input")) {
                continue;
            }
            for (Parameters.ParametersParameterComponent part : p.getPart()) {
                if (part.getName().equals("url") && part.getValue() != null) {
                    inputs.addAll(allowed(part.getValue().primitiveValue()));
                }
            }
        }
        if (inputs.isEmpty()) {
            throw FhirException.badRequest("$import needs at least one input.url naming NDJSON files");
        }
        ImportJob job = runner.create(who, uri.getRequestUri().toString());
        runner.run(job, inputs, who);
        return accepted(job);
    }

    /** The NDJSON files a file: URL names, if it lies inside an allowed folder (symlinks and '..' resolved). */
    private List<java.nio.file.Path> allowed(String url) throws IOException {
        java.nio.file.Path path;
        try {
            URI u = URI.create(url);
            if (!"file".equals(u.getScheme())) {
                throw FhirException.badRequest("input.url must be a file: URL, got " + url);
            }
            path = java.nio.file.Path.of(u);
        } catch (IllegalArgumentException e) {
            throw FhirException.badRequest("input.url is not a URL: " + url);
        }
        // outside the allow-list is a 403 whether or not the path exists: the answer must not tell
        // a client which files the node's host has
        if (!Files.exists(path)) {
            if (!insideAllowList(path.toAbsolutePath().normalize(), false)) {
                throw outside(url);
            }
            throw FhirException.badRequest("input.url " + url + " does not exist");
        }
        java.nio.file.Path real = path.toRealPath();
        if (!insideAllowList(real, true)) {
            throw outside(url);
        }
        if (!Files.isDirectory(real)) {
            return List.of(real);
        }
        List<java.nio.file.Path> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(real)) {
            for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted()
                    .toList()) {
                // a folder's entry may be a symlink out of the allow-list: each file is resolved and checked too
                java.nio.file.Path file = f.toRealPath();
                if (!insideAllowList(file, true)) {
                    throw outside(url + " (its entry " + f.getFileName() + " links out of it)");
                }
                out.add(file);
            }
        }
        return out;
    }

    private boolean insideAllowList(java.nio.file.Path path, boolean real) throws IOException {
        for (String dir : importDirs.orElse(List.of())) {
            java.nio.file.Path root = java.nio.file.Path.of(dir);
            if (Files.isDirectory(root) && path.startsWith(real ? root.toRealPath() : root.toAbsolutePath().normalize())) {
                return true;
            }
        }
        return false;
    }

    private static FhirException outside(String url) {
        return new FhirException(403, org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN,
                "input.url " + url + " is not inside a folder this node imports from (concilium.bulk.import-dirs)",
                null);
    }

    private void requireAsync() {
        String prefer = headers.getHeaderString("Prefer");
        if (prefer == null || !prefer.toLowerCase(Locale.ROOT).contains("respond-async")) {
            throw FhirException.badRequest("$import runs asynchronously: send 'Prefer: respond-async'");
        }
    }

    private Response accepted(ImportJob job) {
        return Response.accepted().header("Content-Location", base() + "/$import-status/" + job.id).build();
    }

    @GET
    @Path("$import-status/{job}")
    @Blocking
    public Response status(@PathParam("job") String id) {
        BulkJob job = job(id);
        return switch (job.state()) {
            case RUNNING -> Response.accepted().header("X-Progress", runner.progress(id)
                    .orElse(BulkStatus.elsewhere(job))).header("Retry-After", "1").build();
            case FAILED -> BulkStatus.failed(job);
            default -> Response.ok(manifest(job), "application/json").build();
        };
    }

    @DELETE
    @Path("$import-status/{job}")
    @Blocking
    public Response cancel(@PathParam("job") String id) {
        runner.discard(job(id));
        return Response.accepted().build();
    }

    @GET
    @Path("$import-file/{job}/errors.ndjson")
    @Blocking
    public Response errors(@PathParam("job") String id) {
        BulkJob job = job(id);
        if (job.state() != BulkJob.State.DONE || !runner.hasErrors(job)) {
            throw FhirException.notFound("import " + id + " has no error file");
        }
        jakarta.ws.rs.core.StreamingOutput body = out -> runner.copyErrors(job, out);
        return Response.ok(body, BulkDataResource.NDJSON).build();
    }

    private BulkJob job(String id) {
        return runner.find(id, caller.get().clientId())
                .orElseThrow(() -> FhirException.notFound("no import " + id + " (unknown, expired or cancelled)"));
    }

    private String manifest(BulkJob job) {
        ObjectNode m = JSON.createObjectNode();
        m.put("transactionTime", job.transactionTime().toString());
        m.put("request", job.requestUrl());
        m.put("requiresAccessToken", true);
        ArrayNode output = m.putArray("output");
        BulkStatus.outputs(job).forEach(o -> output.addObject().put("type", o.path("type").asText())
                .put("count", o.path("count").asLong()));
        ArrayNode error = m.putArray("error");
        if (job.failedLines() > 0) {
            error.addObject().put("type", "OperationOutcome").put("url", base() + "/$import-file/" + job.id()
                    + "/errors.ndjson").put("count", job.failedLines());
        }
        return m.toString();
    }

    private String base() {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "fhir";
    }
}
