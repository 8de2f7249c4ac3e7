using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JobQueue.Home;

/// <summary>
/// The certificates that let managers, runners and clients of one installation (or cluster) in: an authority created
/// at a manager's first start, and a member certificate it issued, both kept in the home's "tls" directory (0700,
/// files 0600). Every connection presents the member certificate and accepts only peers whose certificate the same
/// authority issued, so a process that cannot read the home cannot connect.
/// </summary>
public sealed class ClusterCredentials : IDisposable
{
    /// <summary>The directory inside a home.</summary>
    public const string DirectoryName = "tls";

    /// <summary>The authority: its certificate and private key (PKCS#12, no password, owner-only).</summary>
    public const string AuthorityFileName = "authority.pfx";

    /// <summary>The member certificate with its key, and the authority's certificate (PKCS#12, no password, owner-only).</summary>
    public const string MemberFileName = "member.pfx";

    /// <summary>The name every member certificate carries (peers are found by address, so names are not checked).</summary>
    public const string HostName = "jobqueue";

    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    private ClusterCredentials(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    /// <summary>The certificate this process presents (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The authority's certificate (public part only): peers must chain to it.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The "tls" directory of <paramref name="home"/>.</summary>
    public static string DirectoryOf(string home) => Path.Combine(home, DirectoryName);

    /// <summary>The authority's file in <paramref name="home"/>.</summary>
    public static string AuthorityFileOf(string home) => Path.Combine(DirectoryOf(home), AuthorityFileName);

    private static string MemberFileOf(string home) => Path.Combine(DirectoryOf(home), MemberFileName);

    /// <summary>
    /// For a manager: creates the authority if the home has none, and a member certificate if there is none or the
    /// one there was issued by another authority (after an import); then loads them.
    /// </summary>
    public static ClusterCredentials EnsureCreated(string home)
    {
        var directory = DirectoryOf(home);
        PrivateFiles.EnsureDirectory(directory);
        var authorityFile = AuthorityFileOf(home);
        if (!File.Exists(authorityFile))
        {
            using var created = CreateAuthority();
            PrivateFiles.WriteAllBytes(authorityFile, created.Export(X509ContentType.Pkcs12));
        }

        using var authority = X509CertificateLoader.LoadPkcs12FromFile(authorityFile, null);
        if (!authority.HasPrivateKey)
        {
            throw new CryptographicException($"{authorityFile} holds no private key");
        }

        var memberFile = MemberFileOf(home);
        if (File.Exists(memberFile))
        {
            var current = Load(home);
            if (current.Authority.Thumbprint == authority.Thumbprint && current.Certificate.NotAfter > DateTime.Now.AddDays(30))
            {
                return current;
            }

            current.Dispose();
        }

        PrivateFiles.WriteAllBytes(memberFile, Issue(authority));
        return Load(home);
    }

    /// <summary>For a client: loads the member certificate of <paramref name="home"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The home is not readable by this user.</exception>
    /// <exception cref="IOException">The home has no certificate (no manager ever started there, and none was imported).</exception>
    /// <exception cref="CryptographicException">The file is not a member certificate.</exception>
    public static ClusterCredentials Load(string home)
    {
        var file = MemberFileOf(home);
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(file, null);
        var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
        var authority = all.FirstOrDefault(c => !c.HasPrivateKey);
        if (certificate is null || authority is null)
        {
            throw new CryptographicException($"{file} does not hold a certificate with its key and its authority");
        }

        return new ClusterCredentials(certificate, authority);
    }

    /// <summary>Why <paramref name="remote"/> is not acceptable, or null if this authority issued it and it is valid now.</summary>
    public string? Check(X509Certificate2? remote)
    {
        if (remote is null)
        {
            return "no certificate presented";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(remote))
        {
            var status = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0) ?? "untrusted";
            return $"certificate {remote.Subject} is not from this cluster's authority ({status})";
        }

        return chain.ChainElements[^1].Certificate.Thumbprint == Authority.Thumbprint
            ? null
            : $"certificate {remote.Subject} is not from this cluster's authority";
    }

    /// <summary>Copies the authority of <paramref name="home"/> to <paramref name="file"/> (owner-only), to import into the other managers of a cluster.</summary>
    public static void ExportAuthority(string home, string file)
    {
        var source = AuthorityFileOf(home);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"{home} has no authority yet: start the manager once first", source);
        }

        PrivateFiles.WriteAllBytes(file, File.ReadAllBytes(source));
    }

    /// <summary>Makes the authority in <paramref name="file"/> this home's, and issues a new member certificate from it.</summary>
    public static void ImportAuthority(string home, string file)
    {
        var bytes = File.ReadAllBytes(file);
        using (var authority = X509CertificateLoader.LoadPkcs12(bytes, null))
        {
            if (!authority.HasPrivateKey || !IsAuthority(authority))
            {
                throw new CryptographicException($"{file} is not a JobQueue authority (a CA certificate with its private key)");
            }
        }

        var directory = DirectoryOf(home);
        PrivateFiles.EnsureDirectory(directory);
        PrivateFiles.WriteAllBytes(AuthorityFileOf(home), bytes);
        File.Delete(MemberFileOf(home));
        EnsureCreated(home).Dispose();
    }

    /// <summary>Gives <paramref name="home"/> the authority of <paramref name="fromHome"/> (created there if it has none), as the homes of one cluster's managers on one machine.</summary>
    public static void ShareAuthority(string fromHome, string home)
    {
        EnsureCreated(fromHome).Dispose();
        ImportAuthority(home, AuthorityFileOf(fromHome));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }

    private static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private static X509Certificate2 CreateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=JobQueue authority {Guid.NewGuid():N}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
    }

    private static byte[] Issue(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=JobQueue member {Environment.MachineName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + Validity < authority.NotAfter ? now + Validity : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        using var issued = request.Create(authority, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        using var member = issued.CopyWithPrivateKey(key);
        using var authorityPublic = X509CertificateLoader.LoadCertificate(authority.RawData);
        return new X509Certificate2Collection { member, authorityPublic }.Export(X509ContentType.Pkcs12)!;
    }
}
