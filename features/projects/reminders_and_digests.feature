@allure.label.epic:Projects @fakes
Feature: Overdue reminders and the daily digest
  Two scheduled tasks keep people on top of their work, deciding by the database's clock. The
  overdue reminder tells an assignee once when their task passes its due time, and again only if
  the due time is moved. The daily digest sends each person one email a day, the studio's day,
  listing their open tasks that are overdue or due within 48 hours, soonest first; nobody gets two
  on one day however often it runs, nobody with nothing to report gets one, and each person can
  switch it off. Suppressed addresses get neither.

  Background:
    Given Brightside Agency has the project "Harbour Lights"

  Rule: The overdue reminder tells the assignee once per due time, and never about a task done in time

    @allure.severity:critical
    Scenario: Theo is told once when his task passes its due time, however often the reminders run
      Given Theo has the task "Book the drone", due 1 hour ago
      When Ada runs the overdue reminders twice
      Then Theo receives 1 overdue reminder about "Book the drone"

    Scenario Outline: A task due <when> <outcome>
      Given Theo has the task "Book the drone", due <when>
      When Ada runs the overdue reminders
      Then Theo receives <count> overdue reminder about "Book the drone"

      Examples:
        | when               | outcome                  | count |
        | 1 minute ago       | is reminded of           | 1     |
        | in 1 minute        | is not reminded of yet   | 0     |

    @negative
    Scenario: A task completed before its due time is never reminded of
      Given Theo has the task "Book the drone", due 1 hour ago, completed before then
      When Ada runs the overdue reminders
      Then Theo receives no email

    Scenario: Moving the due time re-arms the reminder
      Given Theo has been reminded that his task "Book the drone" is overdue
      And its due time has since been moved, and has passed again
      When Ada runs the overdue reminders
      Then Theo receives 2 overdue reminders about "Book the drone"

  Rule: The daily digest lists each person's open tasks overdue or due within 48 hours, once a studio day, and only to people who want it and have something in it

    @allure.severity:critical
    Scenario: Theo's digest lists what is overdue or due within 48 hours, soonest first
      Given Theo has these tasks:
        | task              | due in hours | status |
        | Edit the teaser   | 47           | open   |
        | Scout the harbour | -2           | open   |
        | Grade the footage | 49           | open   |
        | Write the treatment | 1          | done   |
      When Ada runs the daily digest
      Then Theo receives one digest listing "Scout the harbour, Edit the teaser"

    Scenario: Nobody gets two digests on one day, whatever the number of runs
      Given Theo has the task "Book the drone", due in 5 hours
      When Ada runs the daily digest 3 times
      Then Theo receives 1 digest

    Scenario: The next studio day brings the next digest
      Given Theo has the task "Book the drone", due in 5 hours
      And Theo received his digest yesterday, the studio's day
      When Ada runs the daily digest
      Then Theo receives 1 digest

    @negative
    Scenario: A digest already sent today, the studio's day, is not sent again
      Given Theo has the task "Book the drone", due in 5 hours
      And Theo received his digest earlier today, the studio's day
      When Ada runs the daily digest
      Then Theo receives no email

    @negative
    Scenario: Nobody with nothing to report gets a digest
      Given Pia has the task "Order the tapes", due in 3 days
      And Theo has the task "Book the drone", due in 5 hours
      When Ada runs the daily digest
      Then Pia receives no email
      And Theo receives 1 digest

    Scenario Outline: Theo switches his digest <state>, and gets <count> digest
      Given Theo has the task "Book the drone", due in 5 hours
      And Theo has switched his digest <first>
      When Theo switches his digest <state>
      Then Theo's settings show his digest <state>
      And the next run of the daily digest brings Theo <count> digest

      Examples:
        | first | state | count |
        | on    | off   | 0     |
        | off   | on    | 1     |

    @negative
    Scenario: A suppressed address gets no digest
      Given Theo has the task "Book the drone", due in 5 hours
      And Theo's address has been suppressed after a complaint
      When Ada runs the daily digest
      Then Theo receives no email
      And Theo's digest is kept in the outbox as "suppressed"
