// frontend serves one page that lists the items bff returns. The page asks its own origin for
// /api/items and the frontend passes that on to bff inside the cluster: a browser would block the page
// (served on :8081) from reading bff's :8080 directly, as bff sends no CORS headers.
package main

import (
	"context"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const page = `<!doctype html><title>shop</title><h1>shop</h1><ul id="items"></ul>
<script>
fetch("/api/items").then(r => r.json()).then(items => {
  document.getElementById("items").innerHTML = items.map(i => "<li>" + i.name + "</li>").join("");
});
</script>`

func main() {
	raw := os.Getenv("BFF_URL")
	if raw == "" {
		raw = "http://bff:8080"
	}
	bff, err := url.Parse(raw)
	if err != nil {
		log.Fatal("BFF_URL: ", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	mux.Handle("/api/", httputil.NewSingleHostReverseProxy(bff))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(page))
	})
	log.Println("frontend listening on :8080, bff at", bff)
	serve(&http.Server{Addr: ":8080", Handler: mux})
}

// serve runs srv until SIGTERM, then keeps answering for a few seconds while the endpoints drop this
// pod (what a preStop sleep would do, which needs Kubernetes 1.30 and which a distroless image cannot
// exec), and then finishes the requests in flight.
func serve(srv *http.Server) {
	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	time.Sleep(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Println("shutdown:", err)
	}
}
