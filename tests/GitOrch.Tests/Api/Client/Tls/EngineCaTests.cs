using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GitOrch.Api.Client;
using GitOrch.Api.Client.Tls;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Api.Client.Tls;

/// <summary>A client trusts exactly one CA: the Engine's passes, any other is refused naming both fingerprints.</summary>
public sealed class EngineCaTests : IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync();

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_client_with_the_engines_CA_works_and_one_with_another_CA_is_refused_naming_the_expected_fingerprint()
    {
        Assert.NotEmpty((await _engine.Client.ListAsync<Namespace>()).Items);

        var other = EngineCa.FromCertificate(OtherCa(), "the test's other CA");
        using var wrong = new GitOrchClient(_engine.BaseUrl, _engine.AdminToken, other);
        var e = await Assert.ThrowsAsync<EngineCertificateException>(() => wrong.ListAsync<Namespace>());
        Assert.Contains("expected CA fingerprint sha256:" + other.Fingerprint, e.Message, StringComparison.Ordinal);
        Assert.Contains("the test's other CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_fingerprint_resolves_to_the_served_CA_only_when_it_matches()
    {
        var resolved = await CaBootstrap.ResolveAsync(_engine.BaseUrl, EngineCa.FromFingerprint(_engine.Ca.Fingerprint, "K10 token"));
        Assert.Equal(_engine.Ca.Fingerprint, CertificateFingerprint.Sha256(resolved.Certificate!));

        var pinned = new string('0', 64);
        var e = await Assert.ThrowsAsync<EngineCertificateException>(() => CaBootstrap.ResolveAsync(_engine.BaseUrl, EngineCa.FromFingerprint(pinned, "K10 token")));
        Assert.Contains("expects sha256:" + pinned, e.Message, StringComparison.Ordinal);
        Assert.Contains("fingerprint sha256:" + _engine.Ca.Fingerprint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pem_round_trips_and_bad_PEM_names_its_source()
    {
        var ca = OtherCa();
        Assert.Equal(ca.RawData, PemCertificate.Parse(PemCertificate.ToPem(ca), "test").RawData);
        var e = Assert.Throws<InvalidDataException>(() => PemCertificate.Parse("not a certificate", "/tmp/x.crt"));
        Assert.Contains("/tmp/x.crt", e.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 OtherCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not-the-engine", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
