// bff (backend for frontend) fetches items from catalogue and hands them to the frontend.
package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	catalogue := os.Getenv("CATALOGUE_URL")
	if catalogue == "" {
		catalogue = "http://catalogue:8080"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, _ *http.Request) {
		resp, err := client.Get(catalogue + "/items")
		if err != nil {
			http.Error(w, "catalogue unavailable: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		io.Copy(w, resp.Body)
	})
	log.Println("bff listening on :8080, catalogue at", catalogue)
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
