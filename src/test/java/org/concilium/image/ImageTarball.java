package org.concilium.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an image tarball in the {@code docker save} format: manifest.json, the config JSON, and each
 * gzip layer's entries (path, mode, owner, size) with the sha256 of its uncompressed tar (its diff id).
 */
record ImageTarball(JsonNode manifest, JsonNode config, List<Layer> layers) {

    record Entry(String path, int mode, long uid, long gid, boolean directory, boolean symlink, long size) {
        boolean executable() {
            return (mode & 0111) != 0;
        }
    }

    record Layer(String file, String diffId, Map<String, Entry> entries) {
    }

    static ImageTarball read(Path tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) files.put(e.getName(), in.readAllBytes());
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(files.get("manifest.json"));
        JsonNode config = json.readTree(files.get(manifest.get(0).get("Config").asText()));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : manifest.get(0).get("Layers")) {
            layers.add(layer(l.asText(), files.get(l.asText())));
        }
        return new ImageTarball(manifest, config, layers);
    }

    private static Layer layer(String name, byte[] gzip) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream raw = new DigestInputStream(new GZIPInputStream(new java.io.ByteArrayInputStream(gzip)), sha);
                var in = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String path = "/" + e.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
                entries.put(path, new Entry(path, e.getMode(), e.getLongUserId(), e.getLongGroupId(), e.isDirectory(),
                        e.isSymbolicLink(), e.getSize()));
            }
            raw.transferTo(java.io.OutputStream.nullOutputStream()); // the tar's trailing blocks count too
        }
        return new Layer(name, "sha256:" + HexFormat.of().formatHex(sha.digest()), entries);
    }

    /** Every entry of every layer by path (later layers win, as in the container's file system). */
    Map<String, Entry> fileSystem() {
        Map<String, Entry> all = new LinkedHashMap<>();
        layers.forEach(l -> all.putAll(l.entries()));
        return all;
    }
}
