// catalogue serves the list of items that bff shows.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type item struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

var items = []item{{1, "kind cluster", 0}, {2, "minikube cluster", 0}, {3, "clusterctl sticker", 300}}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/items", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(items)
	})
	log.Println("catalogue listening on :8080")
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
