using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using GitOrch.Agent.Proxy;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Network.Dns;

/// <summary>
/// The node-local cluster DNS server (GitOrch's CoreDNS), on ARSoft.Tools.Net: it answers the cluster zone from the
/// agent's watch of Services and Endpoints (<see cref="DnsRecords"/>, rebuilt on every change, so answers follow
/// Endpoints at once) and forwards every other name to the host's resolvers. It listens (UDP and TCP) on the Pods'
/// gateway, the bridge's address, which exists once the first sandbox is networked: <see cref="EnsureListening"/>
/// is called after each successful CNI ADD and starts it on the first.
/// </summary>
public sealed class ClusterDns : IAsyncDisposable
{
    private const int Ttl = 5;
    private readonly ServiceWatcher _watcher;
    private readonly string _domain;
    private readonly int _port;
    private readonly Func<GitOrch.Api.Model.Service, string?> _address;
    private readonly ILogger _logger;
    private readonly DnsClient? _upstream;
    private readonly object _gate = new();
    private DnsRecords _records = DnsRecords.Empty;
    private DnsServer? _server;

    internal ClusterDns(ServiceWatcher watcher, string domain, int port, Func<GitOrch.Api.Model.Service, string?> address, IReadOnlyList<IPAddress> upstream, ILogger logger)
    {
        _watcher = watcher;
        _domain = domain;
        _port = port;
        _address = address;
        _logger = logger;
        _upstream = upstream.Count == 0 ? null : new DnsClient(upstream, 2000);
        _watcher.Changed += Rebuild;
        Rebuild();
    }

    /// <summary>Where it listens, once it does.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    public DnsRecords Records => Volatile.Read(ref _records);

    /// <summary>The host's resolvers from <c>/etc/resolv.conf</c>, except those of the cluster itself.</summary>
    public static List<IPAddress> HostResolvers(string resolvConf)
        => resolvConf.Split('\n').Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 1 && w[0] == "nameserver" && IPAddress.TryParse(w[1], out _))
            .Select(w => IPAddress.Parse(w[1])).ToList();

    private void Rebuild()
    {
        var (services, endpoints) = _watcher.Snapshot();
        Volatile.Write(ref _records, DnsRecords.Build(_domain, services, endpoints, _address));
    }

    /// <summary>Starts listening on <paramref name="address"/> unless already listening; a failed bind is logged and tried again next time.</summary>
    public void EnsureListening(IPAddress address)
    {
        lock (_gate)
        {
            if (_server != null)
            {
                return;
            }

            var endpoint = new IPEndPoint(address, _port);
            var where = endpoint.ToString();
            try
            {
                var server = new DnsServer(new UdpServerTransport(endpoint, 2000), new TcpServerTransport(endpoint, 2000, 120000));
                server.QueryReceived += OnQueryAsync;
                server.Start();
                _server = server;
                Endpoint = endpoint;
                NetworkLog.DnsListening(_logger, where);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                NetworkLog.DnsBindFailed(_logger, where, e.Message);
            }
        }
    }

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || query.Questions.Count != 1)
        {
            return;
        }

        var question = query.Questions[0];
        var name = question.Name.ToString().TrimEnd('.');
        var records = Records;
        if (!records.InZone(name))
        {
            e.Response = await ForwardAsync(query, question).ConfigureAwait(false);
            return;
        }

        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        response.IsRecursionAllowed = true;
        var a = records.A(name);
        var srv = records.Srv(name);
        if (a == null && srv == null)
        {
            response.ReturnCode = ReturnCode.NxDomain;
        }
        else if (question.RecordType is RecordType.A or RecordType.Any && a != null)
        {
            response.AnswerRecords.AddRange(a.Select(ip => new ARecord(question.Name, Ttl, ip)));
        }
        else if (question.RecordType is RecordType.Srv or RecordType.Any && srv != null)
        {
            response.AnswerRecords.AddRange(srv.Select(s => new SrvRecord(question.Name, Ttl, 0, 100, (ushort)s.Port, DomainName.Parse(s.Target))));
        }

        e.Response = response;
    }

    private async Task<DnsMessage> ForwardAsync(DnsMessage query, DnsQuestion question)
    {
        var answer = _upstream == null ? null : await _upstream.ResolveAsync(question.Name, question.RecordType, question.RecordClass).ConfigureAwait(false);
        if (answer == null)
        {
            var failed = query.CreateResponseInstance();
            failed.ReturnCode = ReturnCode.ServerFailure;
            return failed;
        }

        var response = query.CreateResponseInstance();
        response.ReturnCode = answer.ReturnCode;
        response.IsRecursionAllowed = true;
        response.AnswerRecords.AddRange(answer.AnswerRecords);
        return response;
    }

    public ValueTask DisposeAsync()
    {
        _watcher.Changed -= Rebuild;
        lock (_gate)
        {
            _server?.Stop();
            _server = null;
        }

        return ValueTask.CompletedTask;
    }
}
