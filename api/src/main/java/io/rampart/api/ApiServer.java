package io.rampart.api;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTPS control plane: AWS IoT's REST paths, SigV4-authenticated, on one port.
 *
 * <p>Built on the JDK's {@code HttpsServer} with one virtual thread per request, so handlers are plain
 * blocking code (database calls included) and no extra HTTP stack is needed for a control plane.
 */
public final class ApiServer implements AutoCloseable {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final HttpsServer server;
    private final ExecutorService executor;

    private ApiServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts serving every Rampart route; port 0 in the config picks a free port. */
    public static ApiServer start(ApiConfig config, ApiServices services) {
        return start(config, services, ApiRoutes.groups(config));
    }

    static ApiServer start(ApiConfig config, ApiServices services, List<RouteGroup> groups) {
        List<Route> routes = new ArrayList<>();
        for (RouteGroup group : groups) {
            routes.addAll(group.routes(services));
        }
        Dispatcher dispatcher = new Dispatcher(config, services, new RouteTable(routes));
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(config.bindHost(), config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(config.sslContext()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLContext context = getSSLContext();
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setProtocols(PROTOCOLS);
                parameters.setNeedClientAuth(false);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", dispatcher);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new ApiServer(server, executor);
    }

    /** The TCP port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting connections and waits for requests in progress. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
