package dev.excon.notebook.magics;

import java.util.List;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.spi.connector.checksum.ChecksumPolicy;
import org.eclipse.aether.spi.connector.checksum.ChecksumPolicyProvider;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.TransferResource;

/**
 * Maven Resolver's checksum policies, unchanged, except that what a {@code warn} repository lets through (a wrong or
 * missing checksum) is also written to the session's list under {@link #KEY}: Maven Resolver only logs it, and a
 * notebook user should see it in the cell's output.
 */
final class WarnedChecksums implements ChecksumPolicyProvider {

    /** Session data key of the {@code List<String>} the warnings go to. */
    static final Object KEY = WarnedChecksums.class.getName() + ".warnings";

    private final ChecksumPolicyProvider delegate;

    WarnedChecksums(ChecksumPolicyProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public ChecksumPolicy newChecksumPolicy(RepositorySystemSession session, RemoteRepository repository,
            TransferResource resource, String policy) {
        ChecksumPolicy p = delegate.newChecksumPolicy(session, repository, resource, policy);
        if (p == null || !RepositoryPolicy.CHECKSUM_POLICY_WARN.equals(policy)) {
            return p;
        }
        @SuppressWarnings("unchecked")
        List<String> warnings = (List<String>) session.getData().get(KEY);
        if (warnings == null) {
            return p;
        }
        String where = resource.getRepositoryUrl() + resource.getResourceName() + " (repository " + repository.getId()
                + " has checksumPolicy warn, so it was kept)";
        return new ChecksumPolicy() {
            @Override
            public boolean onChecksumMatch(String algorithm, ChecksumKind kind) {
                return p.onChecksumMatch(algorithm, kind);
            }

            @Override
            public void onChecksumMismatch(String algorithm, ChecksumKind kind, ChecksumFailureException e)
                    throws ChecksumFailureException {
                p.onChecksumMismatch(algorithm, kind, e);
            }

            @Override
            public void onChecksumError(String algorithm, ChecksumKind kind, ChecksumFailureException e)
                    throws ChecksumFailureException {
                p.onChecksumError(algorithm, kind, e);
            }

            @Override
            public void onNoMoreChecksums() throws ChecksumFailureException {
                p.onNoMoreChecksums();
                warnings.add("no checksum files for " + where);
            }

            @Override
            public void onTransferRetry() {
                p.onTransferRetry();
            }

            @Override
            public boolean onTransferChecksumFailure(ChecksumFailureException e) {
                boolean accepted = p.onTransferChecksumFailure(e);
                if (accepted) {
                    warnings.add("wrong checksum for " + where + ": " + e.getMessage());
                }
                return accepted;
            }
        };
    }

    @Override
    public String getEffectiveChecksumPolicy(RepositorySystemSession session, String policy1, String policy2) {
        return delegate.getEffectiveChecksumPolicy(session, policy1, policy2);
    }
}
