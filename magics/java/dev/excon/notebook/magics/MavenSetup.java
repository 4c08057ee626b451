package dev.excon.notebook.magics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsProblem;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * Where {@code %maven} looks for artifacts and how it reaches them, read as Maven reads it: the user's {@code
 * ~/.m2/settings.xml} (local repository, offline flag, mirrors, proxies, servers' credentials, the repositories of
 * active profiles with their update and checksum policies), then the ExCon overrides.
 *
 * <p>Overrides, strongest first: {@code -Dmaven.repo.local} (local repository); {@code EXCON_MAVEN_OFFLINE=true|false}
 * or {@code -Dexcon.maven.offline} (offline); {@code EXCON_MAVEN_REPOSITORIES} (comma-separated {@code URL} or {@code
 * id=URL}, used instead of Maven Central); {@code https_proxy}, {@code http_proxy} and {@code no_proxy} when
 * settings.xml has no active proxy.
 *
 * <p>Checksums: every repository fails a download whose {@code .sha1}/{@code .md5} is wrong or missing, unless
 * settings.xml gives that repository {@code <checksumPolicy>warn</checksumPolicy>} (or {@code ignore}). This is
 * stricter than Maven's default ({@code warn}) on purpose: a notebook loads what it downloads into its own JVM.
 *
 * @param localRepository the local repository (downloads go there; offline resolution reads only it)
 * @param repositories the remote repositories in the order they are tried, before mirrors are applied
 * @param offline true: nothing is downloaded
 * @param mirrors settings.xml's mirrors
 * @param proxies settings.xml's active proxies (or the environment's)
 * @param credentials settings.xml's servers, by repository or mirror id
 * @param settingsFile the settings.xml that was read, or null when there was none
 */
public record MavenSetup(Path localRepository, List<RemoteRepository> repositories, boolean offline,
        MirrorSelector mirrors, ProxySelector proxies, AuthenticationSelector credentials, Path settingsFile) {

    /** Maven Central's URL and id (the id Maven itself uses, so its local-repository records stay valid). */
    public static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    public static final String CENTRAL_ID = "central";

    public MavenSetup {
        repositories = List.copyOf(repositories);
    }

    /** The user's settings.xml and the environment of this JVM. */
    public static MavenSetup standard() {
        return read(Path.of(System.getProperty("user.home"), ".m2", "settings.xml"), System.getenv(),
                System.getProperties());
    }

    /**
     * Reads a settings.xml (when it exists) and applies the overrides from {@code env} and {@code system}.
     *
     * @throws IllegalArgumentException naming the file, line and fix when settings.xml or an override is invalid
     */
    public static MavenSetup read(Path settingsXml, Map<String, String> env, Properties system) {
        Settings settings = Files.isRegularFile(settingsXml) ? parse(settingsXml, env, system) : new Settings();
        Path settingsFile = Files.isRegularFile(settingsXml) ? settingsXml : null;

        String repoProperty = system.getProperty("maven.repo.local");
        Path local = repoProperty != null && !repoProperty.isBlank() ? Path.of(repoProperty)
                : settings.getLocalRepository() != null && !settings.getLocalRepository().isBlank()
                        ? Path.of(settings.getLocalRepository())
                        : Path.of(system.getProperty("user.home"), ".m2", "repository");

        String offlineText = system.getProperty("excon.maven.offline", env.get("EXCON_MAVEN_OFFLINE"));
        boolean offline = offlineText == null || offlineText.isBlank() ? settings.isOffline()
                : flag(offlineText, "EXCON_MAVEN_OFFLINE");

        return new MavenSetup(local.toAbsolutePath(), repositories(settings, env), offline, mirrors(settings),
                proxies(settings, env), credentials(settings), settingsFile);
    }

    private static boolean flag(String text, String name) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + "='" + text + "' is not a boolean: use true or false");
        };
    }

    private static Settings parse(Path file, Map<String, String> env, Properties system) {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(file.toFile());
        // ${env.X} and ${user.home} in settings.xml, as Maven interpolates them.
        Properties props = new Properties();
        props.putAll(system);
        env.forEach((k, v) -> props.setProperty("env." + k, v));
        request.setSystemProperties(props);
        try {
            var result = new DefaultSettingsBuilderFactory().newInstance().build(request);
            return result.getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            String problems = e.getProblems().stream().filter(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)
                    .map(p -> p.getMessage() + " at line " + p.getLineNumber() + ", column " + p.getColumnNumber())
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException("cannot read " + file + ": " + problems + " (fix the file, or move "
                    + "it away to use Maven Central with no mirror or proxy)");
        }
    }

    /** Active profiles' repositories, then Maven Central (or EXCON_MAVEN_REPOSITORIES); a profile's id wins. */
    private static List<RemoteRepository> repositories(Settings settings, Map<String, String> env) {
        Map<String, RemoteRepository> out = new LinkedHashMap<>();
        for (Profile p : activeProfiles(settings)) {
            for (Repository r : p.getRepositories()) {
                if (r.getUrl() == null || r.getUrl().isBlank()) {
                    throw new IllegalArgumentException("settings.xml profile '" + p.getId() + "', repository '"
                            + r.getId() + "' has no <url>: add one or remove the repository");
                }
                out.putIfAbsent(r.getId(), new RemoteRepository.Builder(r.getId(),
                        r.getLayout() == null ? "default" : r.getLayout(), r.getUrl())
                        .setReleasePolicy(policy(r.getReleases(), true))
                        .setSnapshotPolicy(policy(r.getSnapshots(), true)).build());
            }
        }
        String listed = env.get("EXCON_MAVEN_REPOSITORIES");
        if (listed != null && !listed.isBlank()) {
            int n = 0;
            for (String entry : listed.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                n++;
                int eq = e.indexOf('=');
                String id = eq > 0 && !e.substring(0, eq).contains("/") ? e.substring(0, eq) : "excon" + n;
                String url = eq > 0 && !e.substring(0, eq).contains("/") ? e.substring(eq + 1) : e;
                if (!url.matches("(?i)(https?|file)://.+")) {
                    throw new IllegalArgumentException("EXCON_MAVEN_REPOSITORIES entry '" + e + "' is not a "
                            + "repository URL: use https://host/path or id=https://host/path, comma-separated");
                }
                RepositoryPolicy strict = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
                        RepositoryPolicy.CHECKSUM_POLICY_FAIL);
                out.putIfAbsent(id, new RemoteRepository.Builder(id, "default", url).setReleasePolicy(strict)
                        .setSnapshotPolicy(strict).build());
            }
        } else {
            // As in Maven's super POM: no snapshots from Central.
            out.putIfAbsent(CENTRAL_ID, new RemoteRepository.Builder(CENTRAL_ID, "default", CENTRAL_URL)
                    .setReleasePolicy(new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
                            RepositoryPolicy.CHECKSUM_POLICY_FAIL))
                    .setSnapshotPolicy(new RepositoryPolicy(false, RepositoryPolicy.UPDATE_POLICY_DAILY,
                            RepositoryPolicy.CHECKSUM_POLICY_FAIL)).build());
        }
        return List.copyOf(out.values());
    }

    /**
     * Profiles named in {@code <activeProfiles>}, else those {@code <activeByDefault>}. Activation by property, JDK,
     * OS or file is not evaluated for settings.xml profiles (it is for the POMs' own profiles).
     */
    static List<Profile> activeProfiles(Settings settings) {
        List<Profile> named = settings.getProfiles().stream()
                .filter(p -> settings.getActiveProfiles().contains(p.getId())).toList();
        if (!named.isEmpty()) {
            return named;
        }
        return settings.getProfiles().stream()
                .filter(p -> p.getActivation() != null && p.getActivation().isActiveByDefault()).toList();
    }

    /** A settings.xml policy; the checksum policy is {@code fail} unless the file says otherwise. */
    private static RepositoryPolicy policy(org.apache.maven.settings.RepositoryPolicy p, boolean enabledByDefault) {
        if (p == null) {
            return new RepositoryPolicy(enabledByDefault, RepositoryPolicy.UPDATE_POLICY_DAILY,
                    RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        }
        String checksum = p.getChecksumPolicy() == null || p.getChecksumPolicy().isBlank()
                ? RepositoryPolicy.CHECKSUM_POLICY_FAIL : p.getChecksumPolicy().trim();
        if (!List.of(RepositoryPolicy.CHECKSUM_POLICY_FAIL, RepositoryPolicy.CHECKSUM_POLICY_WARN,
                RepositoryPolicy.CHECKSUM_POLICY_IGNORE).contains(checksum)) {
            throw new IllegalArgumentException("settings.xml: <checksumPolicy>" + checksum + "</checksumPolicy> is "
                    + "not a checksum policy: use fail, warn or ignore");
        }
        String update = p.getUpdatePolicy() == null || p.getUpdatePolicy().isBlank()
                ? RepositoryPolicy.UPDATE_POLICY_DAILY : p.getUpdatePolicy().trim();
        return new RepositoryPolicy(p.isEnabled(), update, checksum);
    }

    private static MirrorSelector mirrors(Settings settings) {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            if (m.getUrl() == null || m.getMirrorOf() == null) {
                throw new IllegalArgumentException("settings.xml mirror '" + m.getId() + "' needs both <url> and "
                        + "<mirrorOf>");
            }
            selector.add(m.getId(), m.getUrl(), m.getLayout() == null ? "default" : m.getLayout(), false,
                    m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts() == null ? "default,legacy"
                            : m.getMirrorOfLayouts());
        }
        return selector;
    }

    private static ProxySelector proxies(Settings settings, Map<String, String> env) {
        DefaultProxySelector selector = new DefaultProxySelector();
        boolean any = false;
        for (org.apache.maven.settings.Proxy p : settings.getProxies()) {
            if (!p.isActive()) {
                continue;
            }
            any = true;
            var auth = p.getUsername() == null ? null : new AuthenticationBuilder().addUsername(p.getUsername())
                    .addPassword(secret(p.getPassword(), "proxy " + p.getId())).build();
            selector.add(new Proxy(p.getProtocol() == null ? "http" : p.getProtocol(), p.getHost(), p.getPort(),
                    auth), p.getNonProxyHosts());
        }
        if (!any) {
            String noProxy = nonProxyHosts(env.getOrDefault("no_proxy", env.get("NO_PROXY")));
            for (String protocol : List.of("https", "http")) {
                String url = env.getOrDefault(protocol + "_proxy", env.get(protocol.toUpperCase(Locale.ROOT)
                        + "_PROXY"));
                if (url != null && !url.isBlank()) {
                    java.net.URI u = java.net.URI.create(url.contains("://") ? url : "http://" + url);
                    if (u.getHost() == null) {
                        throw new IllegalArgumentException(protocol + "_proxy='" + url + "' has no host: use "
                                + "http://host:port");
                    }
                    selector.add(new Proxy(protocol, u.getHost(), u.getPort() > 0 ? u.getPort() : 80), noProxy);
                }
            }
        }
        return selector;
    }

    /** {@code no_proxy}'s "a,.b.com" as Maven's "a|*.b.com". */
    static String nonProxyHosts(String noProxy) {
        if (noProxy == null || noProxy.isBlank()) {
            return null;
        }
        List<String> hosts = new ArrayList<>();
        for (String h : noProxy.split(",")) {
            String t = h.trim();
            if (!t.isEmpty()) {
                hosts.add(t.startsWith(".") ? "*" + t : t);
            }
        }
        return String.join("|", hosts);
    }

    private static AuthenticationSelector credentials(Settings settings) {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            AuthenticationBuilder b = new AuthenticationBuilder();
            if (s.getUsername() != null) {
                b.addUsername(s.getUsername()).addPassword(secret(s.getPassword(), "server " + s.getId()));
            }
            if (s.getPrivateKey() != null) {
                b.addPrivateKey(s.getPrivateKey(), secret(s.getPassphrase(), "server " + s.getId()));
            }
            selector.add(s.getId(), b.build());
        }
        return selector;
    }

    /** Maven's encrypted passwords ({@code {...}}) need settings-security.xml and its master password: refused. */
    private static String secret(String value, String where) {
        if (value != null && value.length() > 2 && value.startsWith("{") && value.endsWith("}")) {
            throw new IllegalArgumentException("settings.xml " + where + ": the password is encrypted, which "
                    + "%maven cannot read; put it in plain text there or use ${env.NAME} with the password in the "
                    + "environment");
        }
        return value;
    }

    /** One line per repository, for the magic's {@code --settings} report and error messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append("settings: ").append(settingsFile == null ? "none (no ~/.m2/settings.xml)" : settingsFile)
                .append('\n').append("local repository: ").append(localRepository).append('\n')
                .append("offline: ").append(offline).append('\n');
        for (RemoteRepository r : repositories) {
            RemoteRepository m = mirrors.getMirror(r);
            b.append("repository ").append(r.getId()).append(": ").append(r.getUrl())
                    .append(m == null ? "" : " (through mirror " + m.getId() + ": " + m.getUrl() + ")")
                    .append(", checksums: ").append(r.getPolicy(false).getChecksumPolicy()).append('\n');
        }
        return b.toString();
    }
}
