// bff (backend for frontend) fetches items from catalogue and hands them to the frontend.
package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	catalogue := os.Getenv("CATALOGUE_URL")
	if catalogue == "" {
		catalogue = "http://catalogue:8080"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	http.HandleFunc("/api/items", func(w http.ResponseWriter, _ *http.Request) {
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
	log.Fatal(http.ListenAndServe(":8080", nil))
}
