"""Protection of what travels and what is kept: device keys and signatures, age
encryption, erasure of personal data (gallring), backups and restore, the health check."""
